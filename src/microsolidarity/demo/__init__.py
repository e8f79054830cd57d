"""The demo network: a network, three congregations, about 150 people, crews and dyads."""
