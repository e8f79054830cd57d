"""The fractal Group: dyads, crews, congregations and networks, with memberships and hosting."""
