package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/store/sqlite"
	"closedset/store/storetest"
)

// BenchmarkCurrentScenes reads the 200 current scenes of a production,
// with their flags and latest reviews, as the scenes page does: serially,
// from 64 goroutines at once as the load test does (both mostly from the
// cache), and right after a write (from the database).
func BenchmarkCurrentScenes(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "closedset.db"))
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
	// after-a-write reads the list as it is read after every change:
	// from the database, the cache being stale (the write is not timed).
	b.Run("after-a-write", func(b *testing.B) {
		b.ReportAllocs()
		u, err := s.CreateUser(ctx, audit.System, auth.NewUser{Email: "bench@example.com", Name: "Bench", PasswordHash: "x"})
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			now := time.Now()
			if err := s.CreateSession(ctx, auth.Session{Hash: []byte(fmt.Sprint("bench-", i)), UserID: u.ID, Created: now, Expires: now.Add(time.Hour)}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
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
