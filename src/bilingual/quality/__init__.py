"""Language resources and text hygiene shared by the engines and the QA checks.

``lexicons`` tells English, French and Spanish words apart with Debian's word lists (loaded on
first use, once per process); ``normalize`` turns a French text into the form engines translate
best without changing what the user sees.
"""
