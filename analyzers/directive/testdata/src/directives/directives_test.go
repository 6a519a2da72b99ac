package directives

//reloadvet:ignore layering // ok: _test.go files are not checked by default
var inTest = 1
