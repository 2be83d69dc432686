// The iOS (and Linux) transport for clinic sync: sends the requests Steady's
// core builds with URLSession and hands back whatever the server answered. It
// decides nothing: the core interprets statuses and bodies. `send` blocks
// until the answer or the request's timeout, so call Steady.sync off the main
// thread.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public final class URLSessionTransport: HttpTransport, @unchecked Sendable {
    private let session: URLSession

    /// An ephemeral session by default (no cookies, no disk cache of health
    /// data) that does not follow redirects: the core sees every answer as sent.
    public init(session: URLSession? = nil) {
        self.session = session ?? URLSession(
            configuration: .ephemeral, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    public func send(request: HttpRequest) throws -> HttpResponse {
        guard let url = URL(string: request.url), url.scheme == "http" || url.scheme == "https" else {
            throw TransportError.Network(reason: "not an http address")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = TimeInterval(request.timeoutMs) / 1000
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        for header in request.headers {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        if request.method != "GET" {
            urlRequest.httpBody = request.body
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            defer { done.signal() }
            if let error = error as? URLError {
                outcome.result = .failure(error.code == .timedOut
                    ? .Timeout(reason: "no answer within \(request.timeoutMs) ms")
                    : .Network(reason: "URLError \(error.code.rawValue)"))
                return
            }
            if let error {
                outcome.result = .failure(.Network(reason: String(describing: type(of: error))))
                return
            }
            guard let http = response as? HTTPURLResponse else {
                outcome.result = .failure(.Network(reason: "not an HTTP response"))
                return
            }
            let headers = http.allHeaderFields.compactMap { name, value -> HttpHeader? in
                guard let name = name as? String else { return nil }
                return HttpHeader(name: name, value: String(describing: value))
            }
            outcome.result = .success(HttpResponse(
                status: UInt16(clamping: http.statusCode),
                headers: headers,
                body: data ?? Data()
            ))
        }
        task.resume()
        done.wait()
        return try outcome.result.get()
    }
}

/// Answers every redirect with "do not follow", so the 3xx reaches the core.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// Carries the completion handler's result back to the waiting caller; the
/// semaphore orders the write before the read.
private final class Outcome: @unchecked Sendable {
    var result: Result<HttpResponse, TransportError> = .failure(.Network(reason: "no answer"))
}
