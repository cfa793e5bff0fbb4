module closedset

go 1.26
