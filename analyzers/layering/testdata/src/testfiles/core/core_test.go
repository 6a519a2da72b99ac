package core

import _ "testfiles/api/h" // ok: _test.go files are not checked without tests: true
