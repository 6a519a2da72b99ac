package core

import _ "noconfig/api" // ok: without a config there are no modules to check
