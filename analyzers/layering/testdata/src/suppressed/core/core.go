package core

import (
	//reloadvet:ignore layering migrating the metrics hook down to core, tracked in #12
	_ "suppressed/api/h" // ok: suppressed by the directive on the line above

	_ "suppressed/api/k" //reloadvet:ignore unjoined,layering same-line directive, with two names

	_ "fmt" //reloadvet:ignore layering nothing to suppress here // want `directive suppresses no layering finding on its line or the next: remove layering from it`
)

//reloadvet:ignore unjoined only another analyzer's findings: not layering's concern
var X = 1
