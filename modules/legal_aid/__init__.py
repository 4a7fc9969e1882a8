"""律师参与信访: the duty lawyers' desk (roster, consultations, written opinions)."""
