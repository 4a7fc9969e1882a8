"""The case file (信访事项), one sub-package per domain thing.

``models`` (the tables), ``lifecycle`` (states, the transition table, registering and running
steps, core's steps stage by stage), ``clocks`` (deadlines on the working-day calendar, the
daily job), ``search`` (the index, search, repeat detection), ``people`` (petitioners: ID
numbers, the look-up on file, their history, the accuser's sealed identity), ``records`` (the
matter's numbers, timeline, categories and satisfaction), ``files`` (attachments and issued
documents) and ``web`` (the pages, forms and JSON API on top of them).
"""
