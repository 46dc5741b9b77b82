# English UI keeps the Vietnamese data formats: the data is Vietnamese whatever the UI language.
from dondoc.formats.vi.formats import *  # noqa: F403
