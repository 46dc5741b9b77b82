"""Investment screens, one module per area; ``investment/urls.py`` maps them (kept for packaging: find_packages)."""
