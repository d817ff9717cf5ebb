"""The web desk for documenters, the public site and the JSON API (``guwah serve``).

Layer: the top, beside ``guwah.cli``; it calls ``guwah.services`` and nothing below them
except the model's records and vocabularies for display.
"""
