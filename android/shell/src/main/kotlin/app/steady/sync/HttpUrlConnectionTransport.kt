// The Android (and JVM) transport for clinic sync: sends the requests Steady's
// core builds with java.net.HttpURLConnection, present on Android and every
// JVM, and hands back whatever the server answered. It decides nothing: the
// core interprets statuses and bodies. Call Steady.sync off the main thread;
// this blocks for up to the request's timeout.
package app.steady.sync

import app.steady.core.HttpTransport
import app.steady.core.model.HttpHeader
import app.steady.core.model.HttpRequest
import app.steady.core.model.HttpResponse
import app.steady.core.TransportException
import java.io.IOException
import java.net.HttpURLConnection
import java.net.SocketTimeoutException
import java.net.URI

class HttpUrlConnectionTransport : HttpTransport {
    override fun send(request: HttpRequest): HttpResponse {
        val connection = open(request.url)
        try {
            val timeout = request.timeoutMs.toLong().coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
            connection.requestMethod = request.method
            connection.connectTimeout = timeout
            connection.readTimeout = timeout
            connection.instanceFollowRedirects = false
            connection.useCaches = false
            for (header in request.headers) {
                connection.setRequestProperty(header.name, header.value)
            }
            if (request.method != "GET") {
                connection.doOutput = true
                connection.setFixedLengthStreamingMode(request.body.size)
                connection.outputStream.use { it.write(request.body) }
            }
            val status = connection.responseCode
            // Error statuses come on errorStream; the core reads their bodies.
            val stream = if (status >= 400) connection.errorStream else connection.inputStream
            val body = stream?.use { it.readBytes() } ?: ByteArray(0)
            val headers = connection.headerFields
                .filterKeys { it != null }
                .flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
            return HttpResponse(status.toUShort(), headers, body)
        } catch (e: SocketTimeoutException) {
            throw TransportException.Timeout("no answer within ${request.timeoutMs} ms")
        } catch (e: IOException) {
            throw TransportException.Network(e.javaClass.simpleName)
        } finally {
            connection.disconnect()
        }
    }

    private fun open(url: String): HttpURLConnection =
        try {
            URI(url).toURL().openConnection() as HttpURLConnection
        } catch (e: Exception) {
            throw TransportException.Network("not an http address")
        }
}
