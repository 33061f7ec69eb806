using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>The wire shapes of docs/whc-api.md.</summary>
internal sealed partial class WhcEmulator
{
    private JsonObject CompanyView(CompanyRecord company, string askingCug)
    {
        if (company.CugId != askingCug)
        {
            // Taken by another reseller: nothing more is shown.
            return new JsonObject { ["companyName"] = company.CompanyName, ["status"] = company.Status };
        }

        return new JsonObject
        {
            ["serviceId"] = company.ServiceId,
            ["companyName"] = company.CompanyName,
            ["companyDomain"] = company.CompanyDomain,
            ["customerGroup"] = company.CustomerGroup,
            ["cugId"] = company.CugId,
            ["status"] = company.Status,
            ["qualificationId"] = company.QualificationId,
            ["numberRanges"] = new JsonArray(company.NumberRanges.Where(r => r.Status != RangeStatus.Ceased).Select(r => (JsonNode?)RangeView(r)).ToArray()),
            ["sites"] = new JsonArray(company.Sites.Where(s => s.Status == CompanyStatus.Active).Select(s => (JsonNode?)SiteView(s)).ToArray()),
            ["users"] = new JsonArray(company.Users.Where(u => u.Status == CompanyStatus.Active).Select(u => (JsonNode?)UserView(u)).ToArray()),
        };
    }

    private JsonObject RangeView(NumberRangeRecord range)
    {
        var view = new JsonObject
        {
            ["areaCode"] = range.AreaCode,
            ["startNumber"] = range.StartNumber,
            ["endNumber"] = range.EndNumber,
            ["status"] = range.Status,
            ["serviceId"] = range.ServiceId,
        };
        if (MarksPortedRanges)
        {
            view["ported"] = range.Ported;
        }

        return view;
    }

    private static JsonObject SiteView(SiteRecord site) => new()
    {
        ["serviceId"] = site.ServiceId,
        ["siteName"] = site.SiteName,
        ["siteLocationCode"] = site.SiteLocationCode,
        ["nadKey"] = site.NadKey,
    };

    private static JsonObject UserView(UserRecord user) => new()
    {
        ["serviceId"] = user.ServiceId,
        ["siteServiceId"] = user.SiteServiceId,
        ["username"] = user.Username,
        ["firstName"] = user.FirstName,
        ["lastName"] = user.LastName,
        ["extension"] = user.Extension,
        ["directoryNumber"] = user.DirectoryNumber.Length > 0 ? user.DirectoryNumber : null,
        ["licence"] = user.Licence,
        ["devices"] = new JsonArray(user.MacAddresses.Select(m => (JsonNode?)new JsonObject { ["macAddress"] = m }).ToArray()),
    };

    private static JsonObject AddressView(AddressRecord a) => new()
    {
        ["id"] = a.Id,
        ["uprn"] = a.Uprn,
        ["addressSource"] = a.AddressSource,
        ["streetNr"] = a.StreetNr,
        ["streetName"] = a.StreetName,
        ["locality"] = a.Locality,
        ["city"] = a.City,
        ["postcode"] = a.Postcode,
        ["country"] = a.Country,
        ["qualifier"] = a.Qualifier,
        ["geographicSubAddress"] = new JsonArray(new JsonObject { ["buildingName"] = a.BuildingName, ["subBuilding"] = a.SubBuilding }),
    };

    private static JsonObject CustomerParty(string cugId) =>
        new() { ["id"] = cugId, ["role"] = "customer", ["@referredType"] = "BtCug" };

    private static JsonObject Characteristic(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject QualificationView(
        string id, string? serviceId, string name, string domain, string group, string cugId, DateTimeOffset now, List<(string Code, string Label)> reasons)
    {
        var product = new JsonObject();
        if (serviceId is not null)
        {
            product["serviceId"] = new JsonObject { ["value"] = serviceId };
        }

        product["place"] = new JsonArray();
        product["productCharacteristic"] = new JsonArray(
            Characteristic("customerName", name), Characteristic("customerDomain", domain),
            Characteristic("customerGroup", group), Characteristic("networkType", "BT"));
        var item = new JsonObject
        {
            ["id"] = id + "-1",
            ["qualificationItemResult"] = reasons.Count == 0 ? "Qualified" : "Unqualified",
        };
        if (reasons.Count > 0)
        {
            item["eligibilityUnavailabilityReason"] = new JsonArray(
                reasons.Select(r => (JsonNode?)new JsonObject { ["code"] = r.Code, ["label"] = r.Label }).ToArray());
        }

        item["product"] = product;
        item["productOffering"] = new JsonObject { ["id"] = "WHCCompany", ["name"] = "WHC Hosted Communications" };
        item["productOfferingQualificationItem"] = new JsonArray();
        var result = new JsonObject { ["id"] = id };
        if (reasons.Count == 0)
        {
            result["expirationDate"] = TimeZoneInfo.ConvertTime(QualificationExpiry(now), UkTime).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        }

        result["productOfferingQualificationItem"] = new JsonArray(item);
        result["relatedParty"] = new JsonArray(CustomerParty(cugId));
        return result;
    }

    /// <summary>The order as TMF622 v4 has it: a member with no value is left out (TMF types them as strings, never null).</summary>
    private static JsonObject OrderView(OrderRecord order) => WithoutNulls(new JsonObject
    {
        ["id"] = order.Id,
        ["@type"] = "ProductOrder",
        ["externalId"] = order.ExternalId,
        ["state"] = order.State,
        ["orderDate"] = order.OrderDate,
        ["completionDate"] = order.CompletionDate,
        ["relatedParty"] = new JsonArray(CustomerParty(order.CugId)),
        ["billingAccount"] = order.BillingAccount is null ? null : new JsonObject { ["id"] = order.BillingAccount },
        ["productOrderItem"] = new JsonArray(order.Items.Select(i => (JsonNode?)OrderItemView(i)).ToArray()),
        ["errorMessage"] = order.ErrorMessage,
    });

    private static JsonObject WithoutNulls(JsonObject node)
    {
        foreach (var name in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(name);
        }

        foreach (var child in node.Select(p => p.Value).ToList())
        {
            switch (child)
            {
                case JsonObject inner:
                    WithoutNulls(inner);
                    break;
                case JsonArray items:
                    foreach (var item in items.OfType<JsonObject>())
                    {
                        WithoutNulls(item);
                    }

                    break;
            }
        }

        return node;
    }

    private static JsonObject OrderItemView(OrderItemRecord item)
    {
        var product = new JsonObject { ["id"] = item.ProductId };
        if (item.NadKey is not null)
        {
            product["place"] = new JsonArray(new JsonObject { ["id"] = item.NadKey, ["role"] = "installationAddress", ["@referredType"] = "GeographicAddress" });
        }

        product["productCharacteristic"] = new JsonArray(item.Characteristics.Select(c => (JsonNode?)Characteristic(c.Key, c.Value)).ToArray());
        var view = new JsonObject
        {
            ["id"] = item.Id,
            ["action"] = item.Action,
            ["state"] = item.State,
            ["productOffering"] = new JsonObject { ["id"] = item.ProductOfferingId },
            ["product"] = product,
        };
        if (item.QualificationId is not null)
        {
            view["qualification"] = new JsonArray(new JsonObject { ["id"] = item.QualificationId });
        }

        view["productOrderItem"] = new JsonArray(item.Items.Select(i => (JsonNode?)OrderItemView(i)).ToArray());
        if (item.ErrorMessage is not null)
        {
            view["errorMessage"] = item.ErrorMessage;
        }

        return view;
    }
}
