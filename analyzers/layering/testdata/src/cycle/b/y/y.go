package y

import _ "cycle/a/w" // ok: b (layer 2) may import a (layer 1); the way back of a cycle is not a finding
