package lib

var Default struct{ Storage any }
