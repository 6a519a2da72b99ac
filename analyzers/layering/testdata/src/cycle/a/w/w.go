package w
