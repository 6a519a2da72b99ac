package x

import _ "three/a/base" // ok: c (layer 3) imports a (layer 1)
