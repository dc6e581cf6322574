"""Author and translator tools on top of the engine: serve, doctor, init, pseudo-locales.
"""
