"""The home page: my groups across the scales and what comes next, gathered from every app."""
