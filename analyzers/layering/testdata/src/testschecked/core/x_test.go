package core_test

import _ "testschecked/api/h" // want `module core \(layer 1\) imports module api \(layer 2\)`
