"""A hold-out benchmark for the reconciliation, written from the problem statement alone.

Nothing here comes from the project's own generator (``bench/lists.py``, ``population.py``,
``renderings.py``) or from the engine: the names, spellings and error rates are our own
reading of what real release lists look like. Run ``python -m bench.holdout --help``.

The rates, stated once (each module holds its own as constants):

Registry (``people.py``): 7% of people bear one of ~140 common surnames (Zipf, exponent 0.5;
Мельник ≈ 0.3%), the rest a tail of root + infix + ending (~12,500 distinct surnames in
100,000 people); given names and fathers' names by hand-set weights; 85% servicemen (6% of
them women), 15% civilians (45% women), so ~90% men; women's surnames and patronymics in
their female forms; births 1965–2006 (servicemen peaking around 1991), 2% unknown; 92% of
servicemen with a unit (700 units, Zipf 0.8: some brigades lost many), 45% with a service
number; 1% without a patronymic; status captive 55%, missing 35%, listed 10%.

List (``release.py``, ``clerks.py``): 10% of rows name people absent from the registry, 40%
of those a registry person's namesake with another birth date; 0.6% of rows repeat an earlier
row. Script per row: Russian Cyrillic 37%, Ukrainian Cyrillic 25%, ICAO Russian 8%, national
2010 8%, BGN/PCGN Russian 7%, plain ASCII 6%, BGN/PCGN Ukrainian 5%, ISO 9 2%, scholarly 2%.
Order in Cyrillic F-G-P 65%, G-P-F 10%, F-G 18%, G-F 7%; in Latin 30/10/30/30. Surname in
capitals 30% (ICAO rows all capitals 60%). Typo in the surname 7%, in the given name 4%.
Date missing 9%; dd.mm.yyyy 58%, d/m/yy 15%, ISO 20%, dd.mm.yyyy with "р.н."/"г.р." 7%;
day and month swapped 2.5%, year off by one 2.5%. Unit shown on 50% of rows whose person has
one, service number on 35%. So about 5% of rows carry no date, unit or service number.

File (``files.py``, one shape per seed): XLSX 35%, CSV UTF-8 20%, UTF-8 with BOM 15%, cp1251
20%, UTF-16 10% (tab-separated, as Excel saves "Unicode text"); comma 35%, semicolon 45%, tab
20%; headers Ukrainian 40%, Russian 35%, English 25%; three name columns 30%; a "№" column 85%;
a rank column 40%.
"""
