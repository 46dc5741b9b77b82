from django import template

from dondoc.jobs import runner

register = template.Library()


@register.filter
def job_kind(kind: str):
    """The label of a job kind, as registered by its feature."""
    return runner.label(kind)
