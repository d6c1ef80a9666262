"""Measuring tools of a source checkout: load and search benchmarks, synthetic corpora, relevance evaluation."""
