// Package metrics counts requests.
package metrics

// Requests is the number of requests served.
var Requests int
