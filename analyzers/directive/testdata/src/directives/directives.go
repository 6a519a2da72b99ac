package directives

//reloadvet:ignore layering the admin import is tracked in #123
var ok1 = 1 // ok: well-formed

var ok2 = 2 //reloadvet:ignore layering trailing directive with a reason

// A directive ends at the end of its comment, so the expectations of the
// malformed ones below sit two lines above them (want +2), apart from the
// directive so that gofmt leaves the directive alone.

// want +2 `malformed directive: directive gives no reason \(accepted: //reloadvet:ignore NAME\[,NAME\] reason\)`

//reloadvet:ignore layering
var noReason = 3

// want +2 `malformed directive: directive names no analyzer`

//reloadvet:ignore
var noName = 4

// want +2 `malformed directive: unknown analyzer "layring", did you mean "layering"\? \(accepted: layering, unjoined, rawspawn, crosscallback\)`

//reloadvet:ignore layring legacy import
var typo = 5

// want +2 `malformed directive: unknown analyzer "bogus" \(accepted: layering, unjoined, rawspawn, crosscallback\)`

//reloadvet:ignore layering,bogus legacy import
var oneUnknown = 5

// want +2 `malformed directive: empty analyzer name in layering,,layering`

//reloadvet:ignore layering,,layering legacy
var emptyName = 6

// want +2 `malformed directive: a directive has no space after //`

// reloadvet:ignore layering legacy import
var spaced = 7

// want +2 `malformed directive: unknown directive //reloadvet:disable`

//reloadvet:disable layering legacy import
var verb = 8

// The word reloadvet:ignore in prose is not a directive. // ok: not at the start
var prose = 9

/* reloadvet:ignore layering block comments are not directives */ // ok: block comment
var block = 10
