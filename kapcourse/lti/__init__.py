"""The LTI 1.3 protocol layer: JWT checks, keys, deep linking, AGS/NRPS and registration messages.

Nothing here touches the database or Flask; services in kapcourse/services/lti_*.py call it.
"""
