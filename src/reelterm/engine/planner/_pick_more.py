"""More synonyms for the picture picker: everyday product-copy nouns the library names otherwise.

Same form as `_pick_words.EN` (lemma -> fluent ids, `ui/<id>` for fluent-ui, best first); merged
into it where the key is not there yet. Written from a product vocabulary, not from test sentences.
"""

from __future__ import annotations

MORE_EN: dict[str, tuple[str, ...]] = {
    # food and drink
    "flower": ("bouquet", "tulip"), "florist": ("bouquet",), "bloom": ("blossom",), "petal": ("blossom",),
    "wine": ("wine-glass",), "sommelier": ("wine-glass",), "prosecco": ("bottle-with-popping-cork",),
    "cocktail": ("cocktail-glass",), "mocktail": ("tropical-drink",), "bartender": ("cocktail-glass",),
    "taproom": ("beer-mug",), "lager": ("beer-mug",), "stout": ("beer-mug",), "cider": ("green-apple",),
    "kombucha": ("bubbles",), "espresso machine": ("hot-beverage",), "teabag": ("teacup-without-handle",),
    "granola": ("bowl-with-spoon",), "cereal": ("bowl-with-spoon",), "porridge": ("bowl-with-spoon",),
    "oatmeal": ("bowl-with-spoon",), "yoghurt": ("bowl-with-spoon",), "yogurt": ("bowl-with-spoon",),
    "steak": ("cut-of-meat",), "butcher": ("cut-of-meat",), "seafood": ("shrimp", "fish"),
    "patisserie": ("croissant",), "gelato": ("ice-cream",), "sorbet": ("shaved-ice",),
    "chocolatier": ("chocolate-bar",), "confectionery": ("candy",), "sweets": ("candy",),
    # home and tools
    "toolkit": ("toolbox",), "plumber": ("wrench",), "plumbing": ("wrench",), "handyman": ("hammer-and-wrench",),
    "repair": ("hammer-and-wrench",), "faucet": ("potable-water",), "leak": ("droplet",),
    "electrician": ("electric-plug",), "carpenter": ("hammer",), "furniture": ("chair", "couch-and-lamp"),
    "sofa": ("couch-and-lamp",), "armchair": ("chair",), "mattress": ("bed",), "pillow": ("bed",),
    "duvet": ("bed",), "blanket": ("bed",), "curtain": ("window",), "thermostat": ("thermometer",),
    "temperature": ("thermometer",), "fever": ("face-with-thermometer",), "compost": ("seedling", "fallen-leaf"),
    "fertiliser": ("seedling",), "fertilizer": ("seedling",), "soil": ("seedling",), "gardener": ("seedling",),
    "mover": ("package", "delivery-truck"), "removal": ("delivery-truck",), "courier": ("package",),
    "parcel": ("package",), "locksmith": ("key",), "laundry": ("t-shirt", "soap"), "detergent": ("soap",),
    # people and services
    "tailor": ("sewing-needle", "thread"), "seamstress": ("sewing-needle",), "alteration": ("sewing-needle",),
    "storybook": ("open-book",), "novel": ("closed-book",), "library": ("books",), "bookshop": ("books",),
    "bookstore": ("books",), "librarian": ("books",), "tutor": ("teacher",), "tutoring": ("teacher",),
    "lecture": ("teacher",), "classroom": ("school",), "homework": ("pencil", "memo"),
    "vet": ("stethoscope",), "veterinarian": ("stethoscope",), "nurse": ("health-worker",),
    "pharmacist": ("pill",), "therapist": ("speech-balloon",), "therapy": ("speech-balloon",),
    "chiropractor": ("person-getting-massage",),
    "lawyer": ("balance-scale",), "attorney": ("balance-scale",), "accountant": ("ledger",),
    "bookkeeping": ("ledger",), "photographer": ("camera",), "photography": ("camera",),
    "videographer": ("movie-camera",), "filmmaker": ("movie-camera",), "dj": ("headphone",),
    "musician": ("guitar",), "band": ("guitar", "drum"), "orchestra": ("violin",), "jazz": ("saxophone",),
    "choir": ("musical-notes",), "karaoke": ("microphone",), "podcast": ("studio-microphone",),
    # travel and transport
    "flight": ("airplane",), "airline": ("airplane",), "airport": ("airplane-departure",),
    "cruise": ("passenger-ship",), "ferryboat": ("ferry",), "campervan": ("minibus",), "caravan": ("minibus",),
    "motorhome": ("minibus",), "rental car": ("automobile",), "scooter": ("kick-scooter",),
    "cab": ("taxi",), "rideshare": ("oncoming-automobile",), "carpool": ("oncoming-automobile",),
    "railway": ("train",), "subway": ("metro",), "tram": ("tram",), "harbour": ("anchor",), "harbor": ("anchor",),
    # things
    "smartwatch": ("watch",), "wristwatch": ("watch",), "earbud": ("headphone",), "earphone": ("headphone",),
    "speaker": ("speaker-high-volume",), "charger": ("electric-plug",), "powerbank": ("battery",),
    "tablet": ("laptop",), "notebook computer": ("laptop",), "monitor": ("desktop-computer",),
    "printer": ("printer",), "webcam": ("video-camera",), "camcorder": ("video-camera",),
    "firework": ("fireworks",), "sparkler": ("sparkler",), "balloon": ("balloon",), "confetti": ("confetti-ball",),
    "perfume": ("lotion-bottle",), "fragrance": ("lotion-bottle",), "moisturiser": ("lotion-bottle",),
    "moisturizer": ("lotion-bottle",), "sunscreen": ("lotion-bottle", "sun"), "shampoo": ("lotion-bottle",),
    "manicure": ("nail-polish",), "pedicure": ("nail-polish",), "barbershop": ("barber-pole",),
    "barber": ("barber-pole",), "hairdresser": ("person-getting-haircut",), "haircut": ("person-getting-haircut",),
}
"""Everyday nouns -> pictures."""
