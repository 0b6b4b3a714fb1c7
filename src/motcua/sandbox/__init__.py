"""A stand-in for the outside parties motcua talks to: NOT the National Public Service Portal (DVCQG), nor any
real gateway. `motcua sandbox` runs it as a separate HTTP process that plays those parties over their own wire
protocols, so the demo and the tests exercise the real client code against a real server (issue 11, §3).

It plays an outside party, so it uses nothing of motcua but `motcua.core` helpers, and it never touches the
database: everything it holds lives in memory and is gone when the process ends. Each party is one module
(`dvcqg`, later the payment gateway, the post, the SMS/Zalo gateways) mounted on the one server (`server`)."""
