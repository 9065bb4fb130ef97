"""Renkei: home medical and long-term care coordination for a Japanese care region."""
