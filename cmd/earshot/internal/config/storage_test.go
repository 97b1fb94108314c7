package config

import "testing"

func TestPostgresStorage(t *testing.T) {
	for _, url := range []string{
		"postgres://earshot:secret@db:5432/earshot?sslmode=require&pool_max_conns=10",
		"postgresql:///earshot?host=/var/run/postgresql",
	} {
		c, err := Parse([]byte("storage: {driver: postgres, url: '"+url+"'}\n"), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if !c.Storage.Postgres() || c.Storage.URL != url {
			t.Errorf("storage = %+v", c.Storage)
		}
	}
	c, err := Parse([]byte("storage: {driver: postgres, url: '${DATABASE_URL}'}\n"), func(k string) (string, bool) {
		return "postgres://u@db/earshot", k == "DATABASE_URL"
	})
	if err != nil || c.Storage.URL != "postgres://u@db/earshot" {
		t.Fatalf("url from the environment: %+v, %v", c.Storage, err)
	}
}
