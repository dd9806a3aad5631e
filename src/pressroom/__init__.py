"""Pressroom: a press-release publishing and archive platform."""
