"""The letters desk (办信) and online petitions (网上信访), issue 7."""
