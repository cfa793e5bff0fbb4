package postgres_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
	"closedset/store/storetest"
)

// BenchmarkCurrentScenes is store/sqlite's benchmark on PostgreSQL: the
// 200 current scenes of a production, serially and from 64 goroutines.
func BenchmarkCurrentScenes(b *testing.B) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, pgtest.Database(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := storetest.LargeProduction(b, s, 200)
	read := func() error {
		scenes, err := s.CurrentScenes(ctx, p)
		if err == nil && len(scenes) != 200 {
			err = fmt.Errorf("%d scenes, want 200", len(scenes))
		}
		return err
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := read(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("64clients", func(b *testing.B) {
		b.ReportAllocs()
		procs := runtime.GOMAXPROCS(0)
		b.SetParallelism((64 + procs - 1) / procs)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := read(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
