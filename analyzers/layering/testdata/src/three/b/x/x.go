package x

import _ "three/c/x" // want `module b \(layer 2\) imports module c \(layer 3\): a module may only import lower layers`
