// Clinic sync over the platform's HTTP client (HttpURLConnection, backed by the
// system's OkHttp on Android), on the IO dispatcher so no core thread waits on the
// network. The core builds every request and reads every answer (docs/adr/0003).
package app.steady.android.platform

import app.steady.core.model.HttpRequest
import app.steady.core.model.HttpResponse
import app.steady.sync.HttpUrlConnectionTransport
import app.steady.sync.SuspendingTransport
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

object PlatformTransport : SuspendingTransport {
    private val client = HttpUrlConnectionTransport()

    override suspend fun send(request: HttpRequest): HttpResponse =
        withContext(Dispatchers.IO) { client.send(request) }
}
