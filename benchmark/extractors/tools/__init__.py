"""Scripts run by other interpreters (their own virtual environments); never imported by the harness."""
