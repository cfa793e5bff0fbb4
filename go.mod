module closedset

go 1.26

require github.com/ledongthuc/pdf v0.0.0-20260907135840-6c8c28e0e8a0

require github.com/go-pdf/fpdf v0.9.0
