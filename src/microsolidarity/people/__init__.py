"""People: accounts, profiles, availability, interests, languages, coarse location, API tokens."""
