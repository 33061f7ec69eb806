using Whc.Declarative.WhcApi.Recording;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// A recording's bytes, pinned: names (redirectURL, _error), order, escaping (none HTML-safe), nulls left out and
/// indentation, so moving the HAR writer to source-generated metadata (native AOT) changes no file.
/// </summary>
public sealed class HarFormatTests
{
    private static HarDocument Sample() => new(new HarLog(
        "1.2",
        new HarCreator("whcctl", "1.2.3"),
        [
            new HarEntry(
                new DateTimeOffset(2026, 12, 2, 9, 30, 0, 125, TimeSpan.Zero),
                12.5,
                new HarRequest("POST", "https://127.0.0.1:8443/x?a=1&b=%3C", "HTTP/1.1", [new("Accept", "application/json")], [new("a", "1"), new("b", "<")], [], -1, 17)
                {
                    PostData = new HarPostData("application/json", """{"name":"O'Brien & <Sons>"}"""),
                },
                new HarResponse(201, "Created", "HTTP/1.1", [new("Content-Type", "application/json")], [], new HarContent(9, "application/json") { Text = """{"id":"é"}""" }, "", -1, 9),
                new HarCache(),
                new HarTimings(0, 12.5, 0)),
            new HarEntry(
                new DateTimeOffset(2026, 12, 2, 9, 30, 1, TimeSpan.FromHours(1)),
                3000,
                new HarRequest("GET", "https://127.0.0.1:8443/y", "HTTP/1.1", [], [], [], -1, 0),
                new HarResponse(0, "", "HTTP/1.1", [], [], new HarContent(0, "x-unknown"), "", -1, -1),
                new HarCache(),
                new HarTimings(0, 3000, 0)) { Error = "no answer within 3 s" },
        ]));

    private const string Pinned = """
        {
          "log": {
            "version": "1.2",
            "creator": {
              "name": "whcctl",
              "version": "1.2.3"
            },
            "entries": [
              {
                "startedDateTime": "2026-12-02T09:30:00.125+00:00",
                "time": 12.5,
                "request": {
                  "method": "POST",
                  "url": "https://127.0.0.1:8443/x?a=1&b=%3C",
                  "httpVersion": "HTTP/1.1",
                  "headers": [
                    {
                      "name": "Accept",
                      "value": "application/json"
                    }
                  ],
                  "queryString": [
                    {
                      "name": "a",
                      "value": "1"
                    },
                    {
                      "name": "b",
                      "value": "<"
                    }
                  ],
                  "cookies": [],
                  "headersSize": -1,
                  "bodySize": 17,
                  "postData": {
                    "mimeType": "application/json",
                    "text": "{\"name\":\"O'Brien & <Sons>\"}"
                  }
                },
                "response": {
                  "status": 201,
                  "statusText": "Created",
                  "httpVersion": "HTTP/1.1",
                  "headers": [
                    {
                      "name": "Content-Type",
                      "value": "application/json"
                    }
                  ],
                  "cookies": [],
                  "content": {
                    "size": 9,
                    "mimeType": "application/json",
                    "text": "{\"id\":\"é\"}"
                  },
                  "headersSize": -1,
                  "bodySize": 9,
                  "redirectURL": ""
                },
                "cache": {},
                "timings": {
                  "send": 0,
                  "wait": 12.5,
                  "receive": 0
                }
              },
              {
                "startedDateTime": "2026-12-02T09:30:01+01:00",
                "time": 3000,
                "request": {
                  "method": "GET",
                  "url": "https://127.0.0.1:8443/y",
                  "httpVersion": "HTTP/1.1",
                  "headers": [],
                  "queryString": [],
                  "cookies": [],
                  "headersSize": -1,
                  "bodySize": 0
                },
                "response": {
                  "status": 0,
                  "statusText": "",
                  "httpVersion": "HTTP/1.1",
                  "headers": [],
                  "cookies": [],
                  "content": {
                    "size": 0,
                    "mimeType": "x-unknown"
                  },
                  "headersSize": -1,
                  "bodySize": -1,
                  "redirectURL": ""
                },
                "cache": {},
                "timings": {
                  "send": 0,
                  "wait": 3000,
                  "receive": 0
                },
                "_error": "no answer within 3 s"
              }
            ]
          }
        }
        """;

    [Fact]
    public void A_recording_is_written_byte_for_byte_as_pinned() =>
        Sample().ToJson().ReplaceLineEndings("\n").Should().Be(Pinned);

    [Fact]
    public void A_pinned_recording_reads_back_to_the_same_bytes() =>
        HarDocument.Parse(Pinned).ToJson().ReplaceLineEndings("\n").Should().Be(Pinned);

    [Fact]
    public void A_recording_with_a_member_of_the_wrong_type_is_refused_as_json() =>
        FluentActions.Invoking(() => HarDocument.Parse(Pinned.Replace("\"status\": 201", "\"status\": true", StringComparison.Ordinal)))
            .Should().Throw<System.Text.Json.JsonException>();
}
