"""End-to-end tests: the real pages served by a live server and driven in headless Chromium (Playwright)."""
