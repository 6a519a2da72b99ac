package x

import _ "three/b/x" // want `module a \(layer 1\) imports module b \(layer 2\): a module may only import lower layers$`
