package metrics

// Count counts requests.
var Count int
