package core_test

import _ "testfiles/api/h" // ok: external test packages are not checked without tests: true
