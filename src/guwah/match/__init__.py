"""Matching people: candidate search for one record, batch linkage, human judgements."""
