"""The pure rules of baocao: time, quarters, dates, working days, phones, ids, text
folding, and the callback data that crosses layers.

Every layer (storage, scheduler, handlers, bot) may import this package; it imports
nothing of ours, so the arrows between the four rooms point one way.
"""
