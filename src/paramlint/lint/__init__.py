"""Analysis of one file: codes, settings and checks over the engine and the extractor."""
