// The iOS (and Linux) transport for clinic sync: sends the requests Steady's
// core builds with URLSession and hands back whatever the server answered. It
// decides nothing: the core interprets statuses and bodies. `exchange` is
// async (Steady.syncNow drives the core's sync steps with it); `send` blocks
// until the answer, for the blocking Steady.sync.
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

    /// Blocking send, for `Steady.enroll`/`Steady.sync`. Prefer the async
    /// `exchange` with `Steady.syncNow(transport:)`: it blocks no thread.
    public func send(request: HttpRequest) throws -> HttpResponse {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        start(request) { result in
            outcome.result = result
            done.signal()
        }
        done.wait()
        return try outcome.result.get()
    }

    /// Sends `request` and suspends until the answer (or the request's
    /// timeout); no thread waits meanwhile.
    public func exchange(_ request: HttpRequest) async throws -> HttpResponse {
        try await withCheckedThrowingContinuation { continuation in
            start(request) { continuation.resume(with: $0) }
        }
    }

    private func start(
        _ request: HttpRequest, completion: @escaping @Sendable (Result<HttpResponse, TransportError>) -> Void
    ) {
        guard let url = URL(string: request.url), url.scheme == "http" || url.scheme == "https" else {
            return completion(.failure(.Network(reason: "not an http address")))
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
        let timeoutMs = request.timeoutMs
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error = error as? URLError {
                return completion(.failure(error.code == .timedOut
                    ? .Timeout(reason: "no answer within \(timeoutMs) ms")
                    : .Network(reason: "URLError \(error.code.rawValue)")))
            }
            if let error {
                return completion(.failure(.Network(reason: String(describing: type(of: error)))))
            }
            guard let http = response as? HTTPURLResponse else {
                return completion(.failure(.Network(reason: "not an HTTP response")))
            }
            let headers = http.allHeaderFields.compactMap { name, value -> HttpHeader? in
                guard let name = name as? String else { return nil }
                return HttpHeader(name: name, value: String(describing: value))
            }
            completion(.success(HttpResponse(
                status: UInt16(clamping: http.statusCode),
                headers: headers,
                body: data ?? Data()
            )))
        }
        task.resume()
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
