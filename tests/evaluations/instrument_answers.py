"""Item answers worked by hand, shared by the instrument tests (the arithmetic beside each)."""

BARTHEL = {  # 10 + 0 + 5 + 5 + 10 + 5 + 5 + 10 + 10 + 5 = 65
    "feeding": 10,
    "bathing": 0,
    "grooming": 5,
    "dressing": 5,
    "bowels": 10,
    "bladder": 5,
    "toilet_use": 5,
    "transfers": 10,
    "mobility": 10,
    "stairs": 5,
}
MOCA = {  # 4 + 3 + 5 + 2 + 2 + 3 + 6 = 25
    "visuospatial_executive": 4,
    "naming": 3,
    "attention": 5,
    "language": 2,
    "abstraction": 2,
    "delayed_recall": 3,
    "orientation": 6,
}
