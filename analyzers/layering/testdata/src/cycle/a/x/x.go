package x

import _ "cycle/b/y" // want `module a \(layer 1\) imports module b \(layer 2\)`
