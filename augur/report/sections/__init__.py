"""The review page's sections, one module each beside what they share (:mod:`.common`): the detail
of a drill (:mod:`.detail`) and the weak points around it (:mod:`.weak_points`). The page itself, its
header, summary, network and charts, is :mod:`augur.report.page`."""
