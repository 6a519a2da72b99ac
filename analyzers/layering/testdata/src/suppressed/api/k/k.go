package k

import _ "suppressed/api/h" // ok: same module
