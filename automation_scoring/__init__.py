"""Features, estimators and ranking of automation candidates."""
